public enum AvroPlaceholder {}
