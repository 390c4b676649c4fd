/**
 * Deletion receipts: which required services have revoked what a deleted customer had.
 */
@NullMarked
package dev.subscriptions.customerservice.deletion;

import org.jspecify.annotations.NullMarked;
