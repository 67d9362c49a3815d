/**
 * Internal: the registry of socket generations, their split reference counts, the handles they
 * hand out, leak tracking and event delivery. Not an API; it may change in any release.
 */
@NullMarked
package io.github.glidesocket.core.internal.registry;

import org.jspecify.annotations.NullMarked;
