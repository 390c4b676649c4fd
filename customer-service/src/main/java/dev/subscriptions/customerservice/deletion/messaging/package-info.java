/**
 * The messaging edge of deletion: the revocation reports read from
 * {@code customer.revocations}.
 */
@NullMarked
package dev.subscriptions.customerservice.deletion.messaging;

import org.jspecify.annotations.NullMarked;
