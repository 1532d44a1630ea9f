-- a module that returns nothing
NilLoaded = true
