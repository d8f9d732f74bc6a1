"""The optional model writer's client: any OpenAI-compatible chat-completions endpoint (docs/llm.md).

Only `synthesize.writer` imports this package, and only when `--writer llm` is asked for: the default path
never loads it and never needs a network.
"""
