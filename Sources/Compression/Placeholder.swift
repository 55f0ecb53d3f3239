import CZstd
import CLZ4
import CSnappy
import CZlib
public enum CompressionPlaceholder {}
