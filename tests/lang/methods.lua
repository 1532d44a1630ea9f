-- method definitions and calls
local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
local a = Account.new(10)
print(a:deposit(5):deposit(1):get())
local obj = {name = "o", f = {}}
function obj.f.g(x) return x * 2 end
function obj.f:h(x) return self == obj.f, x end
print(obj.f.g(21), obj.f:h(3))
local s = "abc"
print(s:len(), ("%d"):format(7), #s:rep(2))
