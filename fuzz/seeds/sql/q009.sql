SELECT - - x
