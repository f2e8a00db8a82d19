// What the error codes setup and Windows Update report mean, in words the helpdesk can read out.
// Keys are "0x" + eight upper-case hex digits, the form the distribution tools report.
export const ERROR_CODE_MEANINGS: Readonly<Record<string, string>> = {
  "0x80070002": "The system cannot find the file specified (ERROR_FILE_NOT_FOUND).",
  "0x80070003": "The system cannot find the path specified (ERROR_PATH_NOT_FOUND).",
  "0x80070005": "Access is denied (E_ACCESSDENIED): a file or registry key is locked or protected, often by security software.",
  "0x8007000E": "Not enough memory to complete the operation (E_OUTOFMEMORY).",
  "0x80070020": "The file is in use by another process (ERROR_SHARING_VIOLATION).",
  "0x80070070": "There is not enough space on the disk (ERROR_DISK_FULL).",
  "0x80070422": "A required service is disabled (ERROR_SERVICE_DISABLED), often Automatic Updates or BITS.",
  "0x8007045B": "A system shutdown is in progress (ERROR_SHUTDOWN_IN_PROGRESS).",
  "0x80070643": "Fatal error during installation (ERROR_INSTALL_FAILURE).",
  "0x80070BC2": "A restart is required to finish installing (ERROR_SUCCESS_REBOOT_REQUIRED).",
  "0x80072EE2": "The download timed out (ERROR_INTERNET_TIMEOUT).",
  "0x80240022": "All updates in the batch failed to install (WU_E_ALL_UPDATES_FAILED).",
  "0x8024402C": "The proxy or server name could not be resolved (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED).",
  "0x80246007": "The update has not been downloaded (WU_E_DM_NOTDOWNLOADED).",
  "0x800B0109": "A certificate chain ends in an untrusted root (CERT_E_UNTRUSTEDROOT).",
  "0x800F0922": "Setup's advanced installers failed (CBS_E_INSTALLERS_FAILED); the machine is rolled back.",
  "0x0000007E": "Stop error 0x7E (SYSTEM_THREAD_EXCEPTION_NOT_HANDLED): a driver crashed during start-up.",
};
