"""The dashboard's logic, free of Reflex: states call these, these call the SDK and the models.

Every function takes the `sqlmodel.Session` to work in and commits its own work. Functions that
act for someone take a `CurrentUser` (`orangeweb.services.identity`) and check it themselves.
Failures the user should read are `DomainError`s (`orangeweb.services.errors`).
"""
