"""Built-in report kinds. Each module registers its kinds with ``reports.registry``."""
