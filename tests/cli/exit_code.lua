-- os.exit sets the exit status
print("exiting")
os.exit(3)
