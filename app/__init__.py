"""The themes review app (Gradio)."""
