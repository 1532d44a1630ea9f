-- a module found through a dotted name
return "inner: " .. select(1, ...)
