-- a module that the flash-store test puts in an image
return {name = select(1, ...), data = select(2, ...), from = "flash"}
