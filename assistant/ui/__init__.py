"""Gradio chat UI over the AssistantAPI contract (app: layout, handlers: actions, render: HTML/SVG)."""
