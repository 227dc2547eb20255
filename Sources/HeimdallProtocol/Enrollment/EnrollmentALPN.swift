/// Names shared by the enrollment listener and its clients.
public enum EnrollmentProtocol {
    /// The ALPN protocol of the enrollment listener.
    public static let alpn = "heimdall-enroll/1"
    /// The enrollment listener's default port.
    public static let defaultPort = 7444
    /// The largest frame either side accepts on the enrollment listener.
    public static let maximumFrameLength = 64 * 1024
}
