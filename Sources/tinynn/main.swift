print("tinynn: the command-line tool is being written; see README.md")
