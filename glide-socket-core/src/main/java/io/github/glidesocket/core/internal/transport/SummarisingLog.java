package io.github.glidesocket.core.internal.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * Logs what happens to a socket again and again (refused connections, failing callbacks) without
 * letting a flood of it flood the log: the first occurrence of each kind at WARN with its
 * details, then one summary per interval with how many of each kind followed. The counters stay
 * exact elsewhere (events, meters); only the lines are fewer.
 *
 * @param <K> the kinds of occurrence, whose {@code toString()} names them in summaries
 */
final class SummarisingLog<K> {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	static final Duration INTERVAL = Duration.ofSeconds(10);

	private final String summary;

	private final ScheduledExecutorService scheduler;

	private final Duration interval;

	private final Set<K> logged = ConcurrentHashMap.newKeySet();

	private final Map<K, Long> suppressed = new LinkedHashMap<>();

	private boolean summaryScheduled;

	/**
	 * @param summary what a summary line starts with, such as
	 * {@code Refused more connections on '/run/app.sock'}
	 * @param scheduler runs the summaries
	 * @param interval the time between summaries
	 */
	SummarisingLog(String summary, ScheduledExecutorService scheduler, Duration interval) {
		this.summary = summary;
		this.scheduler = scheduler;
		this.interval = interval;
	}

	/**
	 * Something of a kind happened.
	 * @param kind its kind
	 * @param details the WARN line, built only when it is logged
	 * @param failure a stack trace to log with the first line, if any
	 */
	void occurred(K kind, Supplier<String> details, @Nullable Throwable failure) {
		if (this.logged.add(kind)) {
			String line = details.get() + " (further ones of this kind are summarised every "
					+ this.interval.toSeconds() + " s)";
			if (failure != null) {
				logger.log(System.Logger.Level.WARNING, line, failure);
			}
			else {
				logger.log(System.Logger.Level.WARNING, line);
			}
			return;
		}
		synchronized (this) {
			this.suppressed.merge(kind, 1L, Long::sum);
			if (!this.summaryScheduled) {
				this.summaryScheduled = scheduleSummary();
			}
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
		Map<K, Long> counts;
		synchronized (this) {
			counts = new LinkedHashMap<>(this.suppressed);
			this.suppressed.clear();
			this.summaryScheduled = false;
		}
		if (!counts.isEmpty()) {
			StringBuilder line = new StringBuilder(this.summary).append(" in the last ")
				.append(this.interval.toSeconds())
				.append(" s:");
			counts.forEach((kind, count) -> line.append(' ').append(kind).append('=').append(count));
			logger.log(System.Logger.Level.WARNING, line.toString());
		}
	}

}
