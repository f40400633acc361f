package io.dmap.service.task;

import io.dmap.asl.StatesError;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a child's {@code http:invoke} and {@code lambda:invoke} calls may go (worker.outbound.*). A host must be on
 * the allow-list when there is one; every address it resolves to is checked: link-local addresses (169.254.0.0/16,
 * fe80::/10), which hold the cloud metadata services, and the known metadata addresses (fd00:ec2::254,
 * 100.100.100.200) are refused unless allowed explicitly, loopback and the unspecified address unless
 * allow-loopback (./dmap up, tests). A refused call fails the child with States.TaskFailed, never the worker.
 * <p>
 * The check resolves the host once, before the call: the JVM caches that answer (networkaddress.cache.ttl, 30 s by
 * default), so the HTTP client connects to the address that was checked. Redirects are followed by
 * {@link HttpInvoke} itself, each target checked again.
 */
public final class OutboundGuard {

    /** Metadata services outside 169.254.0.0/16: AWS's IPv6 one (Nitro) and Alibaba Cloud's. */
    private static final Set<String> METADATA = Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200");

    /** Any host, no loopback, no link-local: what a worker allows when nothing is configured. */
    public static final OutboundGuard DEFAULT = new OutboundGuard(List.of(), false, false);
    /** Everything (unit tests of the task resources themselves). */
    public static final OutboundGuard OPEN = new OutboundGuard(List.of(), true, true);

    private final List<String> allowedHosts;
    private final boolean allowLoopback;
    private final boolean allowLinkLocal;

    /**
     * @param allowedHosts   exact host names or addresses, or {@code *.example.com} for any subdomain; empty: any host
     * @param allowLoopback  127.0.0.0/8, ::1 and 0.0.0.0 may be called
     * @param allowLinkLocal link-local and metadata addresses may be called
     */
    public OutboundGuard(List<String> allowedHosts, boolean allowLoopback, boolean allowLinkLocal) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        this.allowLoopback = allowLoopback;
        this.allowLinkLocal = allowLinkLocal;
    }

    /** Refuses a call to {@code uri} with States.TaskFailed; {@code what} names the call in the cause. */
    public void check(URI uri, String what) throws StatesError {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(what, uri, "only http and https URLs may be called");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw refused(what, uri, "the URL has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(matches(host))) {
            throw refused(what, uri, "host " + host + " is not in worker.outbound.allowed-hosts");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new StatesError(StatesError.TASK_FAILED, what + " " + uri + " failed: unknown host " + host);
        }
        for (InetAddress address : addresses) {
            String reason = refusal(address);
            if (reason != null) {
                throw refused(what, uri, "host " + host + " is " + address.getHostAddress() + ", " + reason);
            }
        }
    }

    private String refusal(InetAddress address) {
        boolean metadata = METADATA.contains(address.getHostAddress().toLowerCase(Locale.ROOT));
        if ((address.isLinkLocalAddress() || metadata) && !allowLinkLocal) {
            return "a link-local or cloud metadata address (allow with worker.outbound.allow-link-local=true)";
        }
        if ((address.isLoopbackAddress() || address.isAnyLocalAddress()) && !allowLoopback) {
            return "a loopback address (allow with worker.outbound.allow-loopback=true)";
        }
        if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress() && !allowLoopback) {
            return "an IPv4-compatible IPv6 address";
        }
        return null;
    }

    private static java.util.function.Predicate<String> matches(String host) {
        return allowed -> allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed);
    }

    private static StatesError refused(String what, URI uri, String reason) {
        return new StatesError(StatesError.TASK_FAILED, what + " to " + uri.getScheme() + "://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + " refused by the worker's outbound rules: " + reason);
    }
}
