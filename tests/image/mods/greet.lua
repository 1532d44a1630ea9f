-- a module for the image tests
local M = {}

function M.hello(who)
  return "hello, " .. who
end

function M.fail()
  error("failed here")
end

return M
