"""ERP tables: clients, catalogue, shades, promotions, orders, complaints, messages, reviews, contact log, invoices, reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:43:04.282460
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('civility', sa.String(length=4), nullable=True),
    sa.Column('company_name', sa.String(length=200), nullable=True),
    sa.Column('segment', sa.String(length=30), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('street', sa.String(length=200), nullable=True),
    sa.Column('postcode', sa.String(length=10), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_clients_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('number', name=op.f('uq_clients_number'))
    )
    op.create_index('ix_clients_company_segment', 'clients', ['company_id', 'segment'], unique=False)

    op.create_table('promotions',
    sa.Column('id', sa.String(length=60), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_promotions_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions'))
    )
    op.create_table('shade_charts',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_shade_charts_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shade_charts'))
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_company', sa.String(length=200), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('expectation', sa.Text(), nullable=True),
    sa.Column('solution', sa.Text(), nullable=True),
    sa.Column('order_number', sa.String(length=20), nullable=True),
    sa.Column('admissible', sa.Boolean(), nullable=True),
    sa.Column('responsible_service', sa.String(length=20), nullable=False),
    sa.Column('informed_services', sa.String(length=200), nullable=False),
    sa.Column('customer_deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closure_reason', sa.String(length=20), nullable=True),
    sa.Column('product_related', sa.Boolean(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_complaints_client_id_clients')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_complaints_company_id_companies')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_complaints_session_id_call_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('number', name=op.f('uq_complaints_number'))
    )
    op.create_index('ix_complaints_status_deadline', 'complaints', ['status', 'customer_deadline'], unique=False)

    op.create_table('contact_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=True),
    sa.Column('next_action', sa.Text(), nullable=True),
    sa.Column('next_action_on', sa.Date(), nullable=True),
    sa.Column('reason_no_order', sa.Text(), nullable=True),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_contact_log_client_id_clients')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_contact_log_session_id_call_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_log'))
    )
    op.create_index('ix_contact_log_client_at', 'contact_log', ['client_id', 'at'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('for_person', sa.String(length=200), nullable=False),
    sa.Column('caller_name', sa.String(length=200), nullable=False),
    sa.Column('caller_company', sa.String(length=200), nullable=True),
    sa.Column('callback_number', sa.String(length=20), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('callback_when', sa.String(length=200), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_by', sa.String(length=200), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_messages_client_id_clients')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_messages_company_id_companies')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_messages_session_id_call_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('number', name=op.f('uq_messages_number'))
    )
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_company', sa.String(length=200), nullable=True),
    sa.Column('segment', sa.String(length=30), nullable=False),
    sa.Column('payment_terms_code', sa.String(length=40), nullable=False),
    sa.Column('payment_terms_label', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('delivery_carrier', sa.String(length=40), nullable=False),
    sa.Column('delivery_hours', sa.Integer(), nullable=False),
    sa.Column('delivery_expected_on', sa.Date(), nullable=False),
    sa.Column('total_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_discount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_tva', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('seed_key', sa.String(length=60), nullable=True),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint('ABS(total_ttc - total_ht - total_tva) < 0.005', name=op.f('ck_orders_ttc_is_ht_plus_tva')),
    sa.CheckConstraint('total_ht >= 0', name=op.f('ck_orders_total_ht_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_orders_client_id_clients')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_orders_company_id_companies')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_orders_session_id_call_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number')),
    sa.UniqueConstraint('seed_key', name=op.f('uq_orders_seed_key'))
    )
    op.create_index('ix_orders_client_created', 'orders', ['client_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_orders_order_date'), 'orders', ['order_date'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.String(length=40), nullable=False),
    sa.Column('unit_price_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('family', sa.String(length=20), nullable=False),
    sa.Column('promo_eligible', sa.Boolean(), nullable=False),
    sa.Column('shade_chart_id', sa.String(length=40), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('price_invented', sa.Boolean(), nullable=False),
    sa.CheckConstraint('unit_price_ht > 0', name=op.f('ck_products_price_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_products_company_id_companies')),
    sa.ForeignKeyConstraint(['shade_chart_id'], ['shade_charts.id'], name=op.f('fk_products_shade_chart_id_shade_charts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('reference', name=op.f('uq_products_reference'))
    )
    op.create_table('promotion_tiers',
    sa.Column('promotion_id', sa.String(length=60), nullable=False),
    sa.Column('min_quantity', sa.Integer(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.CheckConstraint('min_quantity >= 1', name=op.f('ck_promotion_tiers_min_quantity')),
    sa.CheckConstraint('rate > 0 AND rate < 1', name=op.f('ck_promotion_tiers_rate')),
    sa.ForeignKeyConstraint(['promotion_id'], ['promotions.id'], name=op.f('fk_promotion_tiers_promotion_id_promotions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('promotion_id', 'min_quantity', name=op.f('pk_promotion_tiers'))
    )
    op.create_table('shades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chart_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('invented', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['chart_id'], ['shade_charts.id'], name=op.f('fk_shades_chart_id_shade_charts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shades')),
    sa.UniqueConstraint('chart_id', 'code', name=op.f('uq_shades_chart_id_code'))
    )
    op.create_table('complaint_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('action', sa.Text(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_status_history_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_status_history'))
    )
    op.create_index(op.f('ix_complaint_status_history_complaint_id'), 'complaint_status_history', ['complaint_id'], unique=False)

    op.create_table('complaint_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('service', sa.String(length=20), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_steps_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_steps')),
    sa.UniqueConstraint('complaint_id', 'position', name=op.f('uq_complaint_steps_complaint_id_position'))
    )
    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('order_key', sa.String(length=60), nullable=True),
    sa.Column('lcr_returned', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.CheckConstraint('amount_ht > 0 AND amount_ttc >= amount_ht', name=op.f('ck_invoices_amounts')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_invoices_client_id_clients')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_invoices_company_id_companies')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_invoices_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    op.create_index(op.f('ix_invoices_client_id'), 'invoices', ['client_id'], unique=False)
    op.create_index(op.f('ix_invoices_due_on'), 'invoices', ['due_on'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('product_label', sa.String(length=200), nullable=False),
    sa.Column('shade', sa.String(length=8), nullable=True),
    sa.Column('shade_name', sa.String(length=200), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('discount_rate', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('promotion_id', sa.String(length=60), nullable=True),
    sa.Column('discount_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.CheckConstraint('discount_rate >= 0 AND discount_rate < 1', name=op.f('ck_order_lines_discount_rate_range')),
    sa.CheckConstraint('quantity >= 1 AND quantity <= 9999', name=op.f('ck_order_lines_quantity_range')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference'], ['products.reference'], name=op.f('fk_order_lines_reference_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('order_id', 'position', name=op.f('uq_order_lines_order_id_position'))
    )
    op.create_table('promotion_products',
    sa.Column('promotion_id', sa.String(length=60), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['promotion_id'], ['promotions.id'], name=op.f('fk_promotion_products_promotion_id_promotions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference'], ['products.reference'], name=op.f('fk_promotion_products_reference_products')),
    sa.PrimaryKeyConstraint('promotion_id', 'reference', name=op.f('pk_promotion_products'))
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('site', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=True),
    sa.Column('region_as_written', sa.String(length=100), nullable=True),
    sa.Column('posted_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sentiment', sa.String(length=20), nullable=False),
    sa.Column('product_related', sa.Boolean(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('reply_published_on', sa.Date(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_reviews_client_id_clients')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_reviews_company_id_companies')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_reviews_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('key', name=op.f('uq_reviews_key'))
    )
    op.create_table('invoice_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_invoice_payments_amount_positive')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_payments_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_payments'))
    )
    op.create_index(op.f('ix_invoice_payments_invoice_id'), 'invoice_payments', ['invoice_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('promised_payment_date', sa.Date(), nullable=True),
    sa.Column('promised_method', sa.String(length=20), nullable=True),
    sa.Column('contact_person', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('seed_key', sa.String(length=60), nullable=True),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_reminders_client_id_clients')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_reminders_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_reminders_session_id_call_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('number', name=op.f('uq_reminders_number')),
    sa.UniqueConstraint('seed_key', name=op.f('uq_reminders_seed_key'))
    )
    op.create_index(op.f('ix_reminders_invoice_id'), 'reminders', ['invoice_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_reminders_invoice_id'), table_name='reminders')

    op.drop_table('reminders')
    op.drop_index(op.f('ix_invoice_payments_invoice_id'), table_name='invoice_payments')

    op.drop_table('invoice_payments')
    op.drop_table('reviews')
    op.drop_table('promotion_products')
    op.drop_table('order_lines')
    op.drop_index(op.f('ix_invoices_due_on'), table_name='invoices')
    op.drop_index(op.f('ix_invoices_client_id'), table_name='invoices')

    op.drop_table('invoices')
    op.drop_table('complaint_steps')
    op.drop_index(op.f('ix_complaint_status_history_complaint_id'), table_name='complaint_status_history')

    op.drop_table('complaint_status_history')
    op.drop_table('shades')
    op.drop_table('promotion_tiers')
    op.drop_table('products')
    op.drop_index(op.f('ix_orders_order_date'), table_name='orders')
    op.drop_index('ix_orders_client_created', table_name='orders')

    op.drop_table('orders')
    op.drop_table('messages')
    op.drop_index('ix_contact_log_client_at', table_name='contact_log')

    op.drop_table('contact_log')
    op.drop_index('ix_complaints_status_deadline', table_name='complaints')

    op.drop_table('complaints')
    op.drop_table('shade_charts')
    op.drop_table('promotions')
    op.drop_index('ix_clients_company_segment', table_name='clients')

    op.drop_table('clients')
