package io.github.glidesocket.core;

/**
 * What to do with a socket file found at the path that no process is serving any more (left
 * behind by a process that crashed).
 */
public enum StaleSocketPolicy {

	/** Remove the stale socket file and bind in its place. */
	RECLAIM,

	/** Refuse to bind and report the stale file; someone must remove it. */
	FAIL

}
