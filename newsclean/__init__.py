"""newsclean: raw Vietnamese/English news page text in, a cleaned Parquet + JSON dataset out."""
__version__ = "0.6.5"
