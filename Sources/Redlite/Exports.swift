// The engine answers with RESP's `Reply`: importing Redlite is enough to use it.
@_exported import RESP
