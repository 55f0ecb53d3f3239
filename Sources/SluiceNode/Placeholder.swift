import LogStore
public enum SluiceNodePlaceholder {}
