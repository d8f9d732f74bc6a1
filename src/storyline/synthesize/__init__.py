"""The synthesize stage: a story's articles and analyses -> a Brief whose every item cites its source spans."""
