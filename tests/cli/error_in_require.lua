-- an error thrown while loading a chunk via load stays catchable
local f, e = load("return +")
print(f, e)
print(pcall(load, nil))
print(pcall(dofile, "/nonexistent.lua"))
