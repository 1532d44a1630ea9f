-- a module that returns false: require loads it again each time
FalseLoads = (FalseLoads or 0) + 1
return false
