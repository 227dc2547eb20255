#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's time zone: `TZ`, else `/etc/localtime`, read through libc's `localtime_r`
/// (not Foundation), with offsets cached per hour (``HourlyOffsetCache``).
public enum HostTimeZone {
    /// The instance every parser uses by default. Thread-safe: any thread may call it.
    public static let shared: any UTCOffsets = HourlyOffsetCache(LibcLocalTime())
}

/// Offsets straight from libc (`tzset` once, then `localtime_r`'s `tm_gmtoff` per call).
/// A plain value: any thread may call it (`localtime_r` is reentrant).
struct LibcLocalTime: UTCOffsets {
    /// Reads the zone (`tzset`).
    init() {
        tzset()
    }

    /// `tm_gmtoff` of `localtime_r` at `instant` (0 if libc cannot convert it).
    func offset(atInstant instant: Int) -> Int {
        var time = time_t(instant)
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}
