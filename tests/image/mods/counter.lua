-- a module with state in an upvalue: the closure is in RAM, the code in flash
local n = 0
return {
  next = function()
    n = n + 1
    return n
  end,
}
