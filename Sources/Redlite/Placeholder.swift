public enum RedlitePlaceholder {}
