// A thin typed layer over hiredis: one class per C handle, one error type. (Being written.)
import CHiredis
