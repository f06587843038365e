from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("invoices/", views.invoice_list, name="invoices"),
    path("counter/", views.counter, name="counter"),
    path("counter/<str:number>/receipt.pdf", views.counter_receipt, name="counter-receipt"),
    path("invoices/<str:number>/", views.invoice_detail, name="invoice"),
    path("invoices/<str:number>/pay", views.invoice_pay, name="pay"),
    path("invoices/<str:number>/receipt.pdf", views.receipt, name="receipt"),
    path("return/<str:token>/", views.payment_return, name="return"),
    path("sandbox/pay/<str:token>", views.sandbox_pay, name="sandbox-pay"),
    path("callback/sandbox", views.sandbox_callback, name="sandbox-callback"),
]
