-- an uncaught non-string error object
error({})
