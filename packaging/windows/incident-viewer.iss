; Inno Setup 6 script of the Windows installer of Incident Archive Viewer.
;
; Build the bundle first (packaging\build.py windows does both steps), then from the
; repository root:
;     iscc /DAppVersion=0.1.0 packaging\windows\incident-viewer.iss
; The installer lands in dist\. It installs for the current user without administrator
; rights (into %LOCALAPPDATA%\Programs), adds a Start-menu entry and an uninstaller, and
; never touches the user's archive and settings (%LOCALAPPDATA%\incident-archive-viewer).
; tests/packaging checks that the names and the default version here match the package.

#define AppId "org.incidentarchive.Viewer"
#define AppName "Incident Archive Viewer"
#define AppExe "incident-viewer.exe"
#define AppPublisher "The Incident Archive Viewer developers"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define BundleDir "..\..\dist\incident-viewer"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per-user install, no administrator rights; the user may still choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\icons\org.incidentarchive.Viewer.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=incident-archive-viewer-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole bundle: no library of an older version may stay beside it.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Research violent incidents from encyclopedia articles, offline"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
