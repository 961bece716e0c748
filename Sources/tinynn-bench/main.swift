print("tinynn-bench: not written yet")
