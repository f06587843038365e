"""Every write of the Wage Protection System, one module per use-case area: salary files
(received then checked), archives of many files from the central bank, exemptions, the
monthly compliance and the sanctions it leads to. Callers write
`from manpower.wages import services` and find every public function and exception here.
"""

from .archives import (
    SalaryArchiveStatusChange,
    salary_archive_check,
    salary_archive_receive,
    salary_archives_resume,
)
from .compliance import compliance_compute, due_date
from .exemptions import ExemptionPeriodInvalid, ExemptionTooShort, exemption_record
from .files import (
    BankUnknown,
    EmployerUnknown,
    OtherEmployersFile,
    SalaryFileStatusChange,
    salary_file_check,
    salary_file_receive,
    salary_files_resume,
)
from .sanctions import (
    sanction_fine_paid,
    sanctions_escalate,
    sanctions_lift,
    wps_daily,
)

__all__ = [
    "BankUnknown",
    "EmployerUnknown",
    "ExemptionPeriodInvalid",
    "ExemptionTooShort",
    "OtherEmployersFile",
    "SalaryArchiveStatusChange",
    "SalaryFileStatusChange",
    "salary_archive_check",
    "salary_archive_receive",
    "salary_archives_resume",
    "compliance_compute",
    "due_date",
    "exemption_record",
    "salary_file_check",
    "salary_file_receive",
    "salary_files_resume",
    "sanction_fine_paid",
    "sanctions_escalate",
    "sanctions_lift",
    "wps_daily",
]
