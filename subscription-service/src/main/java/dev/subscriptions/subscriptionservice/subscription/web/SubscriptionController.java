package dev.subscriptions.subscriptionservice.subscription.web;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.subscriptions.subscriptionservice.subscription.Cancellation;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.Subscription;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus;

/**
 * The subscriptions API. Every transition is a POST on the subscription; refused transitions answer 409 with the
 * current status.
 */
@RestController
@RequestMapping("/subscriptions")
class SubscriptionController {

	private final SubscriptionManagement subscriptions;

	SubscriptionController(SubscriptionManagement subscriptions) {
		this.subscriptions = subscriptions;
	}

	/** The body of {@code POST /subscriptions}. */
	record CreateSubscription(@NotNull UUID customerId, @NotNull UUID productId,
			@NotNull @PositiveOrZero @Max(1_000_000_000_000L) Long amount,
			@NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
			@Min(0) @Max(365) Integer trialDays) {
	}

	/** The body of {@code POST /subscriptions/{id}/cancel}. */
	record Cancel(Boolean immediately, @Size(max = Cancellation.MAX_REASON_LENGTH) String reason,
			@Size(max = Cancellation.MAX_COMMENT_LENGTH) String comment) {
	}

	/** The body of {@code POST /subscriptions/{id}/pause}. */
	record Pause(@Pattern(regexp = "(?i)void|free", message = "must be void or free") String mode) {
	}

	@PostMapping
	ResponseEntity<SubscriptionView> create(@Valid @RequestBody CreateSubscription request) {
		Subscription subscription = this.subscriptions.create(request.customerId(), request.productId(),
				request.amount(), request.currency(), (request.trialDays() != null) ? request.trialDays() : 0);
		URI location = ServletUriComponentsBuilder.fromCurrentRequest()
			.path("/{id}")
			.buildAndExpand(subscription.getId())
			.toUri();
		return ResponseEntity.created(location).body(SubscriptionView.of(subscription));
	}

	@GetMapping("/{id}")
	SubscriptionView get(@PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.get(id));
	}

	@GetMapping
	List<SubscriptionView> find(@RequestParam UUID customerId,
			@RequestParam(required = false) @Pattern(regexp = "(?i)trialing|active|past_due|paused|canceled|revoked",
					message = "must be one of trialing, active, past_due, paused, canceled, revoked") String status) {
		return this.subscriptions
			.findByCustomer(customerId, (status != null) ? SubscriptionStatus.of(status) : null)
			.stream()
			.map(SubscriptionView::of)
			.toList();
	}

	@PostMapping("/{id}/cancel")
	SubscriptionView cancel(@PathVariable UUID id, @Valid @RequestBody(required = false) Cancel request) {
		Cancel cancel = (request != null) ? request : new Cancel(false, null, null);
		Subscription canceled = Boolean.TRUE.equals(cancel.immediately())
				? this.subscriptions.cancelImmediately(id, cancel.reason(), cancel.comment())
				: this.subscriptions.cancelAtPeriodEnd(id, cancel.reason(), cancel.comment());
		return SubscriptionView.of(canceled);
	}

	@PostMapping("/{id}/uncancel")
	SubscriptionView uncancel(@PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.uncancel(id));
	}

	@PostMapping("/{id}/pause")
	SubscriptionView pause(@PathVariable UUID id, @Valid @RequestBody(required = false) Pause request) {
		PauseMode mode = (request != null && request.mode() != null) ? PauseMode.of(request.mode()) : PauseMode.VOID;
		return SubscriptionView.of(this.subscriptions.pause(id, mode));
	}

	@PostMapping("/{id}/resume")
	SubscriptionView resume(@PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.resume(id));
	}

	@PostMapping("/{id}/revoke")
	SubscriptionView revoke(@PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.revoke(id));
	}

	/** The billing provider reports a failed payment: the subscription becomes past due with an open invoice. */
	@PostMapping("/{id}/payment-failed")
	SubscriptionView paymentFailed(@PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.paymentFailed(id));
	}

	/** The billing provider reports a payment: open invoices are paid, the subscription is active. */
	@PostMapping("/{id}/payment-succeeded")
	SubscriptionView paymentSucceeded(@PathVariable UUID id) {
		return SubscriptionView.of(this.subscriptions.paymentSucceeded(id));
	}

	@GetMapping("/{id}/invoices")
	List<InvoiceView> invoices(@PathVariable UUID id) {
		return this.subscriptions.invoicesOf(id).stream().map(InvoiceView::of).toList();
	}

}
