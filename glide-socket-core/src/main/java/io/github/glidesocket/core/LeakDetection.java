package io.github.glidesocket.core;

/**
 * What happens to a {@link SocketReference} that becomes unreachable without being closed.
 */
public enum LeakDetection {

	/**
	 * Handles are not tracked. A handle that is never closed keeps its socket open until the
	 * manager shuts down. Costs nothing.
	 */
	DISABLED,

	/**
	 * Every handle is tracked with a phantom reference. A handle collected without
	 * {@code close()} is released, counted and logged once with its socket path. Costs one phantom
	 * reference per handle, linked into one of several short-locked lists.
	 */
	SIMPLE,

	/**
	 * As {@link #SIMPLE}, and each handle also records the stack trace of the call that acquired
	 * it, which the leak report includes. Costs a stack walk per acquisition: use it to find a
	 * leak, not in production.
	 */
	PARANOID

}
