import SluiceNode
print("sluice")
