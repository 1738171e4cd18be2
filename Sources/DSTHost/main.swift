print("dst-host")
