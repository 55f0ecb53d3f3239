print("ProtocolGen: not written yet")
