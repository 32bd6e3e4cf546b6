SELECT position('a' IN s), normalize(s), normalize(s, NFKC)
