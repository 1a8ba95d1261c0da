/// A fixed-size array that the chunks of a `ParallelLoop` fill in together, each writing only
/// its own indices (one writer per index, so no lock). It replaces the nest of
/// `withUnsafeMutableBufferPointer` closures that a loop filling several arrays needs
/// otherwise. Read the values with `array` once the loop has returned.
public final class SharedOutput<Element>: @unchecked Sendable {
    /// The storage; valid for the lifetime of this object.
    public let buffer: UnsafeMutableBufferPointer<Element>

    /// `count` elements, each `value`.
    public init(repeating value: Element, count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: value)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    /// Element `i`; one thread per index.
    @inlinable
    public subscript(i: Int) -> Element {
        get { buffer[i] }
        set { buffer[i] = newValue }
    }

    /// The number of elements.
    @inlinable
    public var count: Int { buffer.count }

    /// A copy of the values.
    public var array: [Element] { Array(buffer) }
}
