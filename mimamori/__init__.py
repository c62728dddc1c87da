"""The composition root: the command line wires the engine, workflows, web and tasks.

``mimamori.demo`` is the fictional demo data set, put in through the services.
"""
