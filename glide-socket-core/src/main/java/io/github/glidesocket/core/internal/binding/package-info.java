/**
 * Internal: socket paths, their checks, and binding a socket file so that it is never reachable
 * with a wider mode than configured and never removed unless it is still the file bound. Not an
 * API; it may change in any release.
 */
@NullMarked
package io.github.glidesocket.core.internal.binding;

import org.jspecify.annotations.NullMarked;
