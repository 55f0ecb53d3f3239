public enum LogStorePlaceholder {}
