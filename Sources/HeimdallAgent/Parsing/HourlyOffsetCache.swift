import Synchronization

/// Any ``UTCOffsets`` with its answers cached per hour (of instants, and of local times): a
/// log holds a few thousand distinct hours at most, so nearly every line is a cache hit,
/// while asking libc costs a `localtime_r` call or three. An hour in which the offset
/// changes is never cached; each time in it is worked out on its own.
///
/// Thread-safe (each cache is behind a mutex): any thread may call it.
public final class HourlyOffsetCache<Base: UTCOffsets>: UTCOffsets {
    private let base: Base
    private let instantHours = Mutex(HourCache())
    private let localHours = Mutex(HourCache())

    /// Caches `base`'s offsets.
    public init(_ base: Base) {
        self.base = base
    }

    /// `base`'s offset at `instant`.
    public func offset(atInstant instant: Int) -> Int {
        let hour = LocalClock.floorDivide(instant, 3_600)
        if let cached = instantHours.withLock({ $0[hour] }) { return cached }
        let offset = base.offset(atInstant: instant)
        let start = hour * 3_600
        if base.offset(atInstant: start) == offset, base.offset(atInstant: start + 3_599) == offset {
            instantHours.withLock { $0[hour] = offset }
        }
        return offset
    }

    /// `base`'s offset for the local time `local`.
    public func offset(forLocal local: Int) -> Int {
        let hour = LocalClock.floorDivide(local, 3_600)
        if let cached = localHours.withLock({ $0[hour] }) { return cached }
        let offset = base.offset(forLocal: local)
        let start = hour * 3_600
        let end = start + 3_599
        // Cached only when the whole hour maps to one offset and exists exactly once.
        if base.offset(forLocal: start) == offset, base.offset(forLocal: end) == offset,
           base.offset(atInstant: start - offset) == offset, base.offset(atInstant: end - offset) == offset {
            localHours.withLock { $0[hour] = offset }
        }
        return offset
    }
}

/// A direct-mapped cache from an hour number to an offset in seconds. A plain value.
struct HourCache {
    private static let slots = 4_096
    private var hours = [Int](repeating: .min, count: HourCache.slots)
    private var offsets = [Int](repeating: 0, count: HourCache.slots)

    /// The offset stored for `hour`, or `nil`; setting replaces whatever shared its slot.
    subscript(hour: Int) -> Int? {
        get {
            let slot = hour & (Self.slots - 1)
            return hours[slot] == hour ? offsets[slot] : nil
        }
        set {
            let slot = hour & (Self.slots - 1)
            hours[slot] = newValue == nil ? .min : hour
            offsets[slot] = newValue ?? 0
        }
    }
}
