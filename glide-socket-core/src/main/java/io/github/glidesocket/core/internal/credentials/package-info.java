/**
 * Internal: reading the kernel's credentials of the process at the other end of a Unix-domain
 * connection, for the peers a listener accepts and the servers a client or a bind probes. Not an
 * API; it may change in any release.
 */
@NullMarked
package io.github.glidesocket.core.internal.credentials;

import org.jspecify.annotations.NullMarked;
