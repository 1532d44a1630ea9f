-- the arg table: script name at 0, interpreter before it
print(arg[0], #arg, arg[1])
print(type(arg[-1]))
print(...)
