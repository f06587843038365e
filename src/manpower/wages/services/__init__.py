"""Every write of the Wage Protection System, one module per use-case area (salary files,
received then checked; archives of many files from the central bank). Callers write
`from manpower.wages import services` and find every public function and exception here.
"""

from .archives import (
    SalaryArchiveStatusChange,
    salary_archive_check,
    salary_archive_receive,
    salary_archives_resume,
)
from .files import (
    BankUnknown,
    EmployerUnknown,
    OtherEmployersFile,
    SalaryFileStatusChange,
    salary_file_check,
    salary_file_receive,
    salary_files_resume,
)

__all__ = [
    "BankUnknown",
    "EmployerUnknown",
    "OtherEmployersFile",
    "SalaryArchiveStatusChange",
    "SalaryFileStatusChange",
    "salary_archive_check",
    "salary_archive_receive",
    "salary_archives_resume",
    "salary_file_check",
    "salary_file_receive",
    "salary_files_resume",
]
