"""The composition root: the command line wires the engine, workflows, web and tasks."""
