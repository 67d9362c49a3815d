package io.github.glidesocket.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketCallback;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds the {@link GlideSocketMeters glide-socket meters} of one {@link SocketManager}.
 * <p>
 * Gauges read the manager's registry when they are measured. Counters are kept here, fed by
 * the {@link SocketEventListener} events this binder receives, and exposed as function
 * counters, so they are exact in every registry bound, whenever it was bound. The cleanup timer
 * is recorded in each bound registry from the moment it is bound.
 * <p>
 * The {@code socket} tag is the configured name of the socket, given to the constructor with
 * its path; every other path is tagged {@code other}. The set of tags is therefore fixed when
 * the binder is created: every meter is registered once per name at binding, reads zero while
 * its socket is not bound, and is never removed while the manager lives.
 * <p>
 * Register this binder as an event listener of the manager, for example on its builder or
 * through a forwarding listener. Event methods are called on the manager's event threads; they only add to
 * counters.
 */
public final class GlideSocketMetrics implements MeterBinder, SocketEventListener {

	/** The tag value of sockets at paths that are not configured. */
	public static final String OTHER_SOCKETS = "other";

	private final SocketManager manager;

	private final Map<String, String> pathsByName;

	private final Map<String, String> namesByPath = new LinkedHashMap<>();

	private final Map<String, SocketCounters> counters = new LinkedHashMap<>();

	/**
	 * Create a new binder.
	 * @param manager the manager whose sockets are measured
	 * @param socketPaths the absolute path of each configured socket by name, as the manager
	 * reports paths
	 */
	public GlideSocketMetrics(SocketManager manager, Map<String, String> socketPaths) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		Objects.requireNonNull(socketPaths, "'socketPaths' must not be null");
		this.pathsByName = Map.copyOf(socketPaths);
		socketPaths.forEach((name, path) -> {
			this.namesByPath.putIfAbsent(path, name);
			this.counters.put(name, new SocketCounters());
		});
		this.counters.putIfAbsent(OTHER_SOCKETS, new SocketCounters());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(GlideSocketMeters.ACTIVE, SocketManager::activeSocketCount).register(registry);
		this.counters.forEach((name, socketCounters) -> {
			gauge(GlideSocketMeters.REFERENCES, (manager) -> sum(name, SocketSnapshot::references))
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			gauge(GlideSocketMeters.CONNECTIONS_ACTIVE, (manager) -> sum(name, SocketSnapshot::connections))
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			counter(GlideSocketMeters.CONNECTIONS_ACCEPTED, socketCounters.accepted)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			socketCounters.rejected.forEach((reason, count) -> counter(GlideSocketMeters.CONNECTIONS_REJECTED, count)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.tag(GlideSocketMeters.REASON_TAG, reason.tagValue())
				.register(registry));
			counter(GlideSocketMeters.ACCEPT_FAILURES, socketCounters.acceptFailures)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			counter(GlideSocketMeters.LEAKS, socketCounters.leaks)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			// Live sockets' counts plus what closed sockets counted before they left the snapshots;
			// never below the last reading, as a closing socket leaves the snapshots a moment
			// before its final count arrives.
			FunctionCounter.builder(GlideSocketMeters.BYTES_RECEIVED.meterName(), socketCounters,
					(counts) -> counts.received.accumulateAndGet(
							counts.retiredReceived.sum() + (long) sumLong(name, SocketSnapshot::bytesReceived), Math::max))
				.description(GlideSocketMeters.BYTES_RECEIVED.description())
				.baseUnit(GlideSocketMeters.BYTES_RECEIVED.baseUnit())
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			FunctionCounter.builder(GlideSocketMeters.BYTES_SENT.meterName(), socketCounters,
					(counts) -> counts.sent.accumulateAndGet(
							counts.retiredSent.sum() + (long) sumLong(name, SocketSnapshot::bytesSent), Math::max))
				.description(GlideSocketMeters.BYTES_SENT.description())
				.baseUnit(GlideSocketMeters.BYTES_SENT.baseUnit())
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			socketCounters.durationTimers.add(Timer.builder(GlideSocketMeters.CONNECTION_DURATION.meterName())
				.description(GlideSocketMeters.CONNECTION_DURATION.description())
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry));
			counter(GlideSocketMeters.FILE_REPLACED, socketCounters.fileReplacements)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			counter(GlideSocketMeters.OUTPUT_LIMIT, socketCounters.outputLimits)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			socketCounters.callbackFailures.forEach((callback, count) -> counter(GlideSocketMeters.CALLBACK_FAILURES, count)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.tag(GlideSocketMeters.CALLBACK_TAG, callback.tagValue())
				.register(registry));
			counter(GlideSocketMeters.WRITE_TIMEOUTS, socketCounters.writeTimeouts)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			counter(GlideSocketMeters.ACCEPT_STOPPED, socketCounters.acceptStops)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			counter(GlideSocketMeters.TAKEN_OVER, socketCounters.takeovers)
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry);
			socketCounters.cleanupTimers.add(Timer.builder(GlideSocketMeters.CLEANUP.meterName())
				.description(GlideSocketMeters.CLEANUP.description())
				.tag(GlideSocketMeters.SOCKET_TAG, name)
				.register(registry));
		});
	}

	private Gauge.Builder<SocketManager> gauge(GlideSocketMeters meter, ToIntFunction<SocketManager> value) {
		return Gauge.builder(meter.meterName(), this.manager, value::applyAsInt)
			.description(meter.description())
			.baseUnit(meter.baseUnit())
			.strongReference(true);
	}

	private static FunctionCounter.Builder<LongAdder> counter(GlideSocketMeters meter, LongAdder count) {
		return FunctionCounter.builder(meter.meterName(), count, LongAdder::sum)
			.description(meter.description())
			.baseUnit(meter.baseUnit());
	}

	/**
	 * Sum a value over the sockets with a name: one socket for a configured name, every socket
	 * at another path for {@value #OTHER_SOCKETS}.
	 */
	private double sumLong(String name, ToLongFunction<SocketSnapshot> value) {
		String path = this.pathsByName.get(name);
		if (path != null) {
			return this.manager.snapshot(path).map(value::applyAsLong).orElse(0L);
		}
		long total = 0;
		for (SocketSnapshot snapshot : this.manager.snapshots()) {
			if (!this.namesByPath.containsKey(snapshot.path())) {
				total += value.applyAsLong(snapshot);
			}
		}
		return total;
	}

	private int sum(String name, ToIntFunction<SocketSnapshot> value) {
		String path = this.pathsByName.get(name);
		if (path != null) {
			return this.manager.snapshot(path).map(value::applyAsInt).orElse(0);
		}
		int total = 0;
		for (SocketSnapshot snapshot : this.manager.snapshots()) {
			if (!this.namesByPath.containsKey(snapshot.path())) {
				total += value.applyAsInt(snapshot);
			}
		}
		return total;
	}

	private SocketCounters countersFor(String path) {
		String name = this.namesByPath.getOrDefault(path, OTHER_SOCKETS);
		return this.counters.get(name);
	}

	@Override
	public void connectionAccepted(String path) {
		countersFor(path).accepted.increment();
	}

	@Override
	public void connectionRejected(String path, RejectReason reason) {
		countersFor(path).rejected.get(reason).increment();
	}

	@Override
	public void acceptFailed(String path, Exception failure) {
		countersFor(path).acceptFailures.increment();
	}

	@Override
	public void connectionDuration(String path, Duration duration) {
		for (Timer timer : countersFor(path).durationTimers) {
			timer.record(duration);
		}
	}

	@Override
	public void socketTraffic(String path, long bytesReceived, long bytesSent) {
		SocketCounters counts = countersFor(path);
		counts.retiredReceived.add(bytesReceived);
		counts.retiredSent.add(bytesSent);
	}

	@Override
	public void socketFileReplaced(String path) {
		countersFor(path).fileReplacements.increment();
	}

	@Override
	public void socketTakenOver(String path) {
		countersFor(path).takeovers.increment();
	}

	@Override
	public void outputLimitExceeded(String path) {
		countersFor(path).outputLimits.increment();
	}

	@Override
	public void callbackFailed(String path, SocketCallback callback, Throwable failure) {
		countersFor(path).callbackFailures.get(callback).increment();
	}

	@Override
	public void writeTimedOut(String path) {
		countersFor(path).writeTimeouts.increment();
	}

	@Override
	public void acceptStopped(String path, Throwable failure) {
		countersFor(path).acceptStops.increment();
	}

	@Override
	public void referenceLeaked(String path, @Nullable Throwable acquiredAt) {
		countersFor(path).leaks.increment();
	}

	@Override
	public void socketClosed(String path, Duration cleanupTime) {
		for (Timer timer : countersFor(path).cleanupTimers) {
			timer.record(cleanupTime);
		}
	}

	/**
	 * The counts of the sockets with one name.
	 */
	private static final class SocketCounters {

		final LongAdder accepted = new LongAdder();

		final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

		final LongAdder acceptFailures = new LongAdder();

		final LongAdder leaks = new LongAdder();

		final LongAdder fileReplacements = new LongAdder();

		final LongAdder takeovers = new LongAdder();

		final LongAdder retiredReceived = new LongAdder();

		final LongAdder retiredSent = new LongAdder();

		final AtomicLong received = new AtomicLong();

		final AtomicLong sent = new AtomicLong();

		final List<Timer> durationTimers = new CopyOnWriteArrayList<>();

		final LongAdder outputLimits = new LongAdder();

		final Map<SocketCallback, LongAdder> callbackFailures = new EnumMap<>(SocketCallback.class);

		final LongAdder writeTimeouts = new LongAdder();

		final LongAdder acceptStops = new LongAdder();

		final List<Timer> cleanupTimers = new CopyOnWriteArrayList<>();

		SocketCounters() {
			for (RejectReason reason : RejectReason.values()) {
				this.rejected.put(reason, new LongAdder());
			}
			for (SocketCallback callback : SocketCallback.values()) {
				this.callbackFailures.put(callback, new LongAdder());
			}
		}

	}

}
