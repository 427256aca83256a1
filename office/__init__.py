"""The security officer's office: the registers and controls of regulation 2.4 and 3.

Its own app, because these are the security officer's instruments, not the
records office's and not the accounts': the register of protected resources
(2.4), the register of carriers of confidential information and the periodic
controls of computers and networks (3). It also holds what every feature shares
for "what needs me today": the registry of home-page signals (office.signals),
the system health (office.health) and the daily e-mail of signals.
"""
