package io.github.glidesocket.core.internal.transport;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketManager;

/**
 * Logs a socket's refused connections without letting a flood of them flood the log: the first
 * refusal of each reason at WARN with its details, then one summary per interval with how many
 * followed. The counters of refusals stay exact elsewhere; only the lines are fewer.
 */
final class RefusalLog {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	static final Duration INTERVAL = Duration.ofSeconds(10);

	private final String path;

	private final ScheduledExecutorService scheduler;

	private final Duration interval;

	private final Map<RejectReason, Long> suppressed = new EnumMap<>(RejectReason.class);

	private final boolean[] logged = new boolean[RejectReason.values().length];

	private boolean summaryScheduled;

	RefusalLog(String path, ScheduledExecutorService scheduler, Duration interval) {
		this.path = path;
		this.scheduler = scheduler;
		this.interval = interval;
	}

	/**
	 * A connection was refused.
	 * @param reason why
	 * @param details the WARN line, built only when it is logged
	 */
	void refused(RejectReason reason, Supplier<String> details) {
		boolean first;
		synchronized (this) {
			first = !this.logged[reason.ordinal()];
			if (first) {
				this.logged[reason.ordinal()] = true;
			}
			else {
				this.suppressed.merge(reason, 1L, Long::sum);
				if (!this.summaryScheduled) {
					this.summaryScheduled = scheduleSummary();
				}
			}
		}
		if (first) {
			logger.log(System.Logger.Level.WARNING, details.get() + " (further refusals of this kind are summarised every "
					+ this.interval.toSeconds() + " s)");
		}
	}

	private boolean scheduleSummary() {
		try {
			this.scheduler.schedule(this::summarise, this.interval.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (RejectedExecutionException ex) {
			// The manager is closing; the counters keep the numbers.
			return false;
		}
	}

	private void summarise() {
		Map<RejectReason, Long> counts;
		synchronized (this) {
			counts = new EnumMap<>(this.suppressed);
			this.suppressed.clear();
			this.summaryScheduled = false;
		}
		if (!counts.isEmpty()) {
			StringBuilder line = new StringBuilder("Refused more connections on '").append(this.path)
				.append("' in the last ").append(this.interval.toSeconds()).append(" s:");
			counts.forEach((reason, count) -> line.append(' ').append(reason.tagValue()).append('=').append(count));
			logger.log(System.Logger.Level.WARNING, line.toString());
		}
	}

}
